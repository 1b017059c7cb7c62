"""Article Editor: write articles with photos, captions and metadata; save them as portable bundles."""

__version__ = "0.1.0"
APP_NAME = "Article Editor"
# Reverse-DNS identifier used in TextBundle info.json (creatorIdentifier and our own data key).
APP_ID = "org.article-editor"
