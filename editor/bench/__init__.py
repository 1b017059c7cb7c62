"""The benchmark suite: `python -m editor.bench` measures typing, preview, files and images against baselines."""
