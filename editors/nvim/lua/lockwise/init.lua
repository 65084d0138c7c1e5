-- lockwise for Neovim 0.7 – 0.10: starts `lockwise lsp` for Ecto migration
-- files only, beside whatever other Elixir server (ElixirLS, Lexical, Expert)
-- is attached to the same buffer: Neovim runs several clients per buffer.
--
--   require("lockwise").setup({
--     settings = { postgresVersion = 15, rules = { ["lock-timeout-missing"] = "off" } },
--   })
--
-- Neovim 0.11+ users can use lsp/lockwise.lua with vim.lsp.enable("lockwise")
-- instead (see editors/nvim/README.md). Only APIs that exist in 0.7 are used
-- here (no vim.lsp.start, no vim.fs), so one file serves 0.7 to 0.10.
local M = {}

local defaults = {
  -- The server command; `lockwise` must be on PATH or be given as a full path.
  cmd = { "lockwise", "lsp" },
  -- Sent as the "lockwise" section (workspace/configuration and
  -- workspace/didChangeConfiguration): postgresVersion, rules (id -> severity),
  -- lockHints, assumeUtc, migrations, startAfter.
  settings = {},
  -- Lua patterns on the absolute path: only matching files attach. The
  -- default covers priv/<repo>/migrations of an app and of umbrella apps
  -- (apps/<app>/priv/<repo>/migrations): "[^/]+" is one path segment.
  patterns = { "/priv/[^/]+/migrations/[^/]+%.exs$" },
  on_attach = nil,
  on_init = nil,
  capabilities = nil,
  -- Also define :LockwiseSql and :LockwiseExplain.
  commands = true,
}

M.config = vim.deepcopy(defaults)
local clients = {} -- root directory -> client id: one server per project

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

--- Whether path (absolute) is a migration file lockwise should analyse.
function M.is_migration(path)
  if path == nil or path == "" then
    return false
  end
  for _, pat in ipairs(M.config.patterns) do
    if path:match(pat) then
      return true
    end
  end
  return false
end

--- The project root for a migration file: the directory holding priv/, or
--- the umbrella root when the app lives in apps/<app> of a project with a
--- mix.exs (so one server sees every app's migrations); otherwise the
--- nearest directory upward with mix.exs or .git.
function M.root_dir(path)
  local app = path:match("^(.*)/priv/[^/]+/migrations/[^/]+$")
  if app then
    local umbrella = app:match("^(.*)/apps/[^/]+$")
    if umbrella and exists(umbrella .. "/mix.exs") then
      return umbrella
    end
    if exists(app .. "/mix.exs") then
      return app
    end
  end
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while true do
    if exists(dir .. "/mix.exs") or exists(dir .. "/.git") then
      return dir
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      break
    end
    dir = parent
  end
  return app or vim.fn.fnamemodify(path, ":p:h")
end

local function client_alive(id)
  local c = id and vim.lsp.get_client_by_id(id)
  return c ~= nil and not c.is_stopped()
end

--- Attach lockwise to bufnr when it is a migration file (the autocommand
--- calls this; it is safe to call again for an attached buffer).
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local path = vim.api.nvim_buf_get_name(bufnr)
  if vim.bo[bufnr].buftype ~= "" or not M.is_migration(path) then
    return nil
  end
  if vim.fn.executable(M.config.cmd[1]) ~= 1 then
    vim.notify_once(
      "lockwise: `" .. M.config.cmd[1] .. "` not found. Install it with "
        .. "`go install github.com/lockwise/lockwise/cmd/lockwise@latest` "
        .. "or set cmd = { '/path/to/lockwise', 'lsp' } in require('lockwise').setup{}",
      vim.log.levels.WARN
    )
    return nil
  end
  local root = M.root_dir(path)
  local id = clients[root]
  if not client_alive(id) then
    id = vim.lsp.start_client({
      name = "lockwise",
      cmd = M.config.cmd,
      root_dir = root,
      -- The settings go three ways: initializationOptions, so that the first
      -- diagnostics already use them; workspace/didChangeConfiguration in
      -- on_init, which Neovim before 0.10 does not send by itself; and the
      -- answer to workspace/configuration, which Neovim builds from here.
      init_options = M.config.settings,
      settings = { lockwise = M.config.settings },
      on_init = function(client, result)
        client.notify("workspace/didChangeConfiguration", { settings = client.config.settings })
        if M.config.on_init then
          return M.config.on_init(client, result)
        end
      end,
      capabilities = M.config.capabilities,
      on_attach = M.config.on_attach,
      -- The language id the server expects whatever the buffer's filetype.
      get_language_id = function()
        return "elixir"
      end,
    })
    if id == nil then
      return nil
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Run `lockwise ARGS... FILE` on the current buffer's file and show its
--- output in a scratch buffer (filetype ft).
local function show_output(args, ft)
  local file = vim.api.nvim_buf_get_name(0)
  if file == "" then
    vim.notify("lockwise: the buffer has no file", vim.log.levels.WARN)
    return
  end
  local cmd = { M.config.cmd[1] }
  vim.list_extend(cmd, args)
  table.insert(cmd, file)
  local out = vim.fn.systemlist(cmd)
  vim.cmd("new")
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, out)
  vim.bo[buf].filetype = ft
  vim.bo[buf].modifiable = false
end

--- setup(opts): opts override the defaults above (tables are merged).
function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  local group = vim.api.nvim_create_augroup("lockwise", { clear = true })
  -- BufReadPost/BufNewFile rather than FileType: the path decides, and
  -- elixir filetype detection is not needed for a new, empty migration.
  vim.api.nvim_create_autocmd({ "BufReadPost", "BufNewFile" }, {
    group = group,
    pattern = "*.exs",
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- Buffers already open when setup runs (a lazy-loaded plugin manager).
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) then
      M.attach(buf)
    end
  end
  if M.config.commands then
    vim.api.nvim_create_user_command("LockwiseSql", function()
      show_output({ "sql" }, "sql")
    end, { desc = "lockwise: the SQL Ecto sends for this migration" })
    vim.api.nvim_create_user_command("LockwiseExplain", function()
      show_output({ "explain" }, "markdown")
    end, { desc = "lockwise: the Migration Report of this migration" })
  end
end

return M
