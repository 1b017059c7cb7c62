"""Qt-free core: article model, bundle, renderer, images, checks. Imports nothing from Qt."""
