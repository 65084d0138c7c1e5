-- Neovim end-to-end script for TestNeovim (nvim_test.go). Runs in
-- `nvim --headless --clean -n -c "luafile THIS"` and uses the user-facing
-- integration exactly as a user would: editors/nvim on 'runtimepath',
-- require("lockwise").setup{}, then :edit of the files. Every check is a
-- step in the JSON written to $OUT; Go asserts them and the file on disk.
-- Env: NVIM_PLUGIN (editors/nvim), ROOT (the mix project), MIGRATION,
-- OTHER (a non-migration .exs), OUT, TIMEOUT_MS.
local plugin, root, migration, other, out =
  os.getenv("NVIM_PLUGIN"), os.getenv("ROOT"), os.getenv("MIGRATION"), os.getenv("OTHER"), os.getenv("OUT")
local timeout = tonumber(os.getenv("TIMEOUT_MS") or "10000")
local R = { steps = {}, messages = {} }

local function step(name, ok, detail)
  table.insert(R.steps, { name = name, ok = ok and true or false, detail = vim.inspect(detail) })
  return ok
end

local function finish()
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(R))
  f:close()
  vim.cmd("qa!")
end

local function buf_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
end

local function lockwise_clients(buf)
  local found = {}
  for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
    if c.name == "lockwise" then
      table.insert(found, c)
    end
  end
  return found
end

-- Server messages would print into the headless UI: keep them for the report.
local function keep(_, result)
  table.insert(R.messages, result and result.message)
end
vim.lsp.handlers["window/showMessage"] = keep
vim.lsp.handlers["window/logMessage"] = keep

local ok, err = xpcall(function()
  vim.opt.runtimepath:prepend(plugin)
  require("lockwise").setup({
    -- Proves the settings reach the server: this info diagnostic (on the
    -- alter table line of the fixture) must disappear.
    settings = { rules = { ["lock-timeout-missing"] = "off" } },
  })

  -- A non-migration Elixir file first: lockwise must not attach to it.
  vim.cmd("edit " .. vim.fn.fnameescape(other))
  local other_buf = vim.api.nvim_get_current_buf()

  vim.cmd("edit " .. vim.fn.fnameescape(migration))
  local buf = vim.api.nvim_get_current_buf()
  step("filetype elixir", vim.bo[buf].filetype == "elixir", vim.bo[buf].filetype)
  local attached = vim.wait(timeout, function()
    local cs = lockwise_clients(buf)
    return #cs == 1 and cs[1].initialized
  end, 20)
  step("lockwise attached to the migration", attached, #lockwise_clients(buf))
  step("not attached to " .. vim.fn.fnamemodify(other, ":t"), #lockwise_clients(other_buf) == 0)
  local client = lockwise_clients(buf)[1]
  step("root is the mix project", client and client.config.root_dir == root, client and client.config.root_dir)

  -- Diagnostics (pushed by the server, shown by vim.diagnostic).
  local function has_code(code)
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.user_data and d.user_data.lsp and d.user_data.lsp.code == code then
        return true
      end
    end
    return false
  end
  step("diagnostic index-not-concurrently", vim.wait(timeout, function()
    return has_code("index-not-concurrently")
  end, 20), vim.diagnostic.get(buf))
  -- The first diagnostics may predate the settings (didChangeConfiguration
  -- follows initialize): wait for the republication.
  step("setting rules.lock-timeout-missing=off applied", vim.wait(timeout, function()
    return has_code("index-not-concurrently") and not has_code("lock-timeout-missing")
  end, 20), vim.diagnostic.get(buf))

  -- Hover through the real vim.lsp.buf.hover(): its floating window's text.
  local lnum
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if line:find("create index(:users", 1, true) then
      lnum = i
    end
  end
  vim.api.nvim_win_set_cursor(0, { lnum, 4 })
  local main_win = vim.api.nvim_get_current_win()
  vim.lsp.buf.hover()
  local hover_text
  step("hover shows the SHARE lock", vim.wait(timeout, function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= "" then
        hover_text = buf_text(vim.api.nvim_win_get_buf(win))
        if hover_text:find("SHARE", 1, true) then
          return true
        end
      end
    end
    return false
  end, 20), hover_text)
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      vim.api.nvim_win_close(win, true)
    end
  end
  vim.api.nvim_set_current_win(main_win)

  -- Quick fix through the real code action menu: vim.ui.select picks by title.
  local want = "Create the index concurrently"
  local offered = {}
  vim.ui.select = function(items, opts, on_choice)
    for i, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or tostring(item)
      table.insert(offered, title)
      if title:find(want, 1, true) then
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
  vim.api.nvim_win_set_cursor(0, { lnum, 4 })
  local tick = vim.api.nvim_buf_get_changedtick(buf)
  -- 0.7 takes the CodeActionContext itself (0.8+ takes {context=...}).
  local ctx = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, lnum - 1) }
  if vim.fn.has("nvim-0.8") == 1 then
    vim.lsp.buf.code_action({ context = ctx })
  else
    vim.lsp.buf.code_action(ctx)
  end
  step("code action applied", vim.wait(timeout, function()
    return vim.api.nvim_buf_get_changedtick(buf) ~= tick and buf_text(buf):find("concurrently: true", 1, true) ~= nil
  end, 20), { offered = offered, text = buf_text(buf) })
  vim.cmd("write")
  step("diagnostic gone after the fix", vim.wait(timeout, function()
    return not has_code("index-not-concurrently")
  end, 20), vim.diagnostic.get(buf))

  -- The Neovim 0.11 config (lsp/lockwise.lua) cannot run in 0.7, but its
  -- table and its root_dir function can: they use only 0.7 APIs.
  local cfg = dofile(plugin .. "/lsp/lockwise.lua")
  step("0.11 config: cmd, filetypes, root_markers",
    vim.deep_equal(cfg.cmd, { "lockwise", "lsp" }) and vim.deep_equal(cfg.filetypes, { "elixir" })
      and vim.deep_equal(cfg.root_markers, { "mix.exs", ".git" }), cfg)
  local roots = {}
  cfg.root_dir(buf, function(dir) roots.migration = dir end)
  cfg.root_dir(other_buf, function(dir) roots.other = dir end)
  step("0.11 config: root_dir only for migrations", roots.migration == root and roots.other == nil, roots)

  -- Umbrella apps: one server for the umbrella (root with mix.exs above apps/).
  local umbrella = vim.fn.tempname()
  local app_mig = umbrella .. "/apps/billing/priv/repo/migrations"
  vim.fn.mkdir(app_mig, "p")
  vim.fn.writefile({}, umbrella .. "/mix.exs")
  vim.fn.writefile({}, umbrella .. "/apps/billing/mix.exs")
  local app_file = app_mig .. "/20240101000000_x.exs"
  local lockwise = require("lockwise")
  step("umbrella: is_migration and root_dir",
    lockwise.is_migration(app_file) and lockwise.root_dir(app_file) == umbrella, lockwise.root_dir(app_file))
  vim.cmd("edit " .. vim.fn.fnameescape(app_file))
  local roots2 = {}
  cfg.root_dir(vim.api.nvim_get_current_buf(), function(dir) roots2.app = dir end)
  step("umbrella: 0.11 root_dir", roots2.app == umbrella, roots2)
  vim.cmd("buffer " .. buf)

  -- Shut the server down (shutdown + exit), as Neovim does on :quit.
  client.stop()
  vim.wait(timeout, function() return client.is_stopped() end, 20)
  step("server stopped", client.is_stopped())
end, debug.traceback)
if not ok then
  step("no Lua error", false, err)
end
finish()
