-- Example Neovim setup for Harn, working on Neovim 0.7 through 0.11+.
--
-- Try it as is:   nvim -u editors/nvim/init.lua file.harn
-- Or copy the body into your own init.lua (and set `harn_dir` to this directory).
--
-- It puts this directory on 'runtimepath' (for ftdetect/, ftplugin/, syntax/ and lsp/),
-- maps *.harn to the `harn` filetype and starts the language server `lang lsp` (LSP over
-- stdin/stdout) for harn buffers. Set `vim.g.harn_lsp_cmd` (a list) before it runs to use
-- another command, e.g. { "/home/me/.venv/bin/lang", "lsp" }.

local harn_dir = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
vim.opt.runtimepath:prepend(harn_dir)

vim.g.do_filetype_lua = 1 -- 0.7 only: otherwise vim.filetype.add is ignored
if vim.filetype and vim.filetype.add then
  vim.filetype.add({ extension = { harn = "harn" } })
else
  vim.cmd([[autocmd BufRead,BufNewFile *.harn setfiletype harn]])
end

local cmd = vim.g.harn_lsp_cmd or { "lang", "lsp" }

if vim.lsp.config and vim.lsp.enable then
  -- 0.11+: merged with lsp/harn.lua from the runtimepath.
  vim.lsp.config("harn", { cmd = cmd, filetypes = { "harn" }, root_markers = { ".git" } })
  vim.lsp.enable("harn")
else
  local function root_dir(bufnr)
    local name = vim.api.nvim_buf_get_name(bufnr)
    local start = name ~= "" and vim.fn.fnamemodify(name, ":p:h") or vim.fn.getcwd()
    local git = vim.fn.finddir(".git", start .. ";")
    if git ~= "" then
      return vim.fn.fnamemodify(git, ":p:h:h")
    end
    return vim.fn.getcwd()
  end
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "harn",
    callback = function(args)
      local conf = { name = "harn", cmd = cmd, root_dir = root_dir(args.buf) }
      if vim.lsp.start then
        vim.lsp.start(conf) -- 0.8 .. 0.10: reuses a running client with the same name and root
      else
        -- 0.7: start one client per root and attach each buffer to it.
        _G.harn_lsp_clients = _G.harn_lsp_clients or {}
        local id = _G.harn_lsp_clients[conf.root_dir]
        if not id or not vim.lsp.get_client_by_id(id) then
          id = vim.lsp.start_client(conf)
          _G.harn_lsp_clients[conf.root_dir] = id
        end
        if id then
          vim.lsp.buf_attach_client(args.buf, id)
        end
      end
    end,
  })
end
