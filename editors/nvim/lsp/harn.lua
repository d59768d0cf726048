-- Language server configuration for Neovim 0.11+ (`vim.lsp.config` / `vim.lsp.enable`).
-- With this directory on 'runtimepath', `vim.lsp.enable("harn")` finds it by name; override
-- any field with `vim.lsp.config("harn", { cmd = { "/abs/path/to/lang", "lsp" } })`.
---@type vim.lsp.Config
return {
  -- `lang lsp` speaks LSP on stdin/stdout.
  cmd = { "lang", "lsp" },
  filetypes = { "harn" },
  root_markers = { ".git" },
}
