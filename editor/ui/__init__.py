"""The Qt shell: widgets that show the core's article and call the core to change it."""
