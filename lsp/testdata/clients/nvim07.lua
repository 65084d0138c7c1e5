-- Neovim 0.7 probe for TestRealClients (lsp/clients_test.go): drives the test
-- binary acting as the server through Neovim's own LSP client: diagnostics,
-- hover, incremental edits with non-BMP text and a line appended at the end,
-- the expand-contract split through vim.lsp.buf.code_action (CreateFile in
-- documentChanges), :write, shutdown and the exit status.
-- Env: SERVER, ROOT, FILE, OUT (JSON result).
local root, file, out = os.getenv('ROOT'), os.getenv('FILE'), os.getenv('OUT')
local R = { steps = {} }
local function step(name, ok, detail) table.insert(R.steps, { name = name, ok = ok and true or false, detail = detail }) end
local function finish()
  local f = io.open(out, 'w'); f:write(vim.fn.json_encode(R)); f:close()
  vim.cmd('qa!')
end
vim.cmd('edit ' .. file)
local bufnr = vim.api.nvim_get_current_buf()
local inited = false
local id = vim.lsp.start_client({
  cmd = { os.getenv('SERVER') }, root_dir = root, name = 'lockwise',
  handlers = { ['window/showMessage'] = function(_, r) R.message = r.message end },
  on_init = function() inited = true end,
  on_exit = function(code) R.exit = code end,
})
vim.lsp.buf_attach_client(bufnr, id)
local client = vim.lsp.get_client_by_id(id)
step('init', vim.wait(5000, function() return inited end))
step('diag', vim.wait(5000, function() return #vim.diagnostic.get(bufnr) == 1 end), vim.diagnostic.get(bufnr))

-- hover on "index(" of the flagged line (line 6, 1-based), after a non-ASCII line
local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
local lnum, col
for i, l in ipairs(lines) do local c = l:find('index%(:users') if c then lnum, col = i, c end end
vim.api.nvim_win_set_cursor(0, { lnum, col - 1 })
local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', vim.lsp.util.make_position_params(0, 'utf-16'), 3000)
local hv = res and res[id] and res[id].result
step('hover', hv and hv.contents.value:find('SHARE lock') ~= nil, hv)

-- typing: multi-byte text on the flagged line, then a new flagged line at the very end
vim.api.nvim_buf_set_text(bufnr, lnum - 1, 0, lnum - 1, 0, { '  é𐐀' })
vim.api.nvim_buf_set_text(bufnr, lnum - 1, 0, lnum - 1, #'  é𐐀', { '' })
local last = vim.api.nvim_buf_line_count(bufnr)
vim.api.nvim_buf_set_lines(bufnr, last, last, false, { 'create index(:orders, [:id])' })
step('diag after edits', vim.wait(5000, function()
  local d = vim.diagnostic.get(bufnr)
  return #d == 2 and d[1].lnum == lnum - 1 and d[2].lnum == last
end), vim.diagnostic.get(bufnr))

-- the expand-contract split through the real code action UI path
vim.api.nvim_win_set_cursor(0, { lnum, col - 1 })
vim.ui.select = function(items, _, on_choice) on_choice(items[1], 1) end
vim.lsp.buf.code_action({ only = { 'refactor' }, diagnostics = {} })
local newfile = root .. '/priv/repo/migrations/20240101000001_index_users_concurrently.exs'
step('split created file', vim.wait(5000, function() return vim.fn.bufexists(newfile) == 1 end))
local nb = vim.fn.bufnr(newfile)
local newlines = nb > 0 and vim.api.nvim_buf_get_lines(nb, 0, -1, false) or {}
step('new file content', table.concat(newlines, '\n'):find('create index%(:users') ~= nil, newlines)
step('line removed', vim.wait(3000, function()
  return not table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n'):find('index%(:users')
end))
step('diag after split', vim.wait(5000, function() return #vim.diagnostic.get(bufnr) == 1 end), vim.diagnostic.get(bufnr))
vim.cmd('write')
client.stop()
vim.wait(5000, function() return R.exit ~= nil end)
step('exit 0', R.exit == 0, R.exit)
finish()
