// VS Code client entry point.
