// Language server entry point (see lsp/).
