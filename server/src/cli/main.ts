// CLI entry point (see cli/).
