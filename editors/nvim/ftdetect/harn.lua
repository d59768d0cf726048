-- Filetype detection for Harn: *.harn files get the `harn` filetype.
-- Neovim 0.8+ (and 0.7 with `vim.g.do_filetype_lua = 1`) use the Lua filetype table;
-- plain 0.7 needs the classic autocommand.
if vim.filetype and vim.filetype.add and (vim.fn.has("nvim-0.8") == 1 or vim.g.do_filetype_lua == 1) then
  vim.filetype.add({ extension = { harn = "harn" } })
else
  vim.cmd([[autocmd BufRead,BufNewFile *.harn setfiletype harn]])
end
