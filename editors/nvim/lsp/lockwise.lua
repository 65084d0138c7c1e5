-- lockwise for Neovim 0.11+ (vim.lsp.config / vim.lsp.enable):
--
--   vim.lsp.enable("lockwise")            -- with this file on 'runtimepath'
--   vim.lsp.config("lockwise", { settings = { lockwise = { postgresVersion = 14 } } })
--
-- It attaches only to Ecto migration files (priv/<repo>/migrations/*.exs,
-- also in umbrella apps): root_dir below calls on_dir only for them, so
-- other Elixir files never start or attach lockwise. ElixirLS, Lexical or
-- Expert keep running beside it on the same buffers.
-- Self-contained (no require): it may be copied on its own into any
-- lsp/ directory on 'runtimepath'.

local uv = vim.uv or vim.loop
local root_markers = { "mix.exs", ".git" }

local function exists(path)
  return uv.fs_stat(path) ~= nil
end

-- The root for a migration file: the umbrella root for apps/<app>/priv/...
-- (one server sees every app), else the app holding priv/, else the nearest
-- directory upward with a root marker.
local function migration_root(path)
  local app = path:match("^(.*)/priv/[^/]+/migrations/[^/]+%.exs$")
  if not app then
    return nil
  end
  local umbrella = app:match("^(.*)/apps/[^/]+$")
  if umbrella and exists(umbrella .. "/mix.exs") then
    return umbrella
  end
  local dir = app
  while true do
    for _, marker in ipairs(root_markers) do
      if exists(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return app
    end
    dir = parent
  end
end

---@type vim.lsp.Config
return {
  cmd = { "lockwise", "lsp" },
  filetypes = { "elixir" },
  -- Documentation only while root_dir is a function (Neovim then ignores
  -- root_markers); migration_root uses the same list.
  root_markers = root_markers,
  root_dir = function(bufnr, on_dir)
    local root = migration_root(vim.api.nvim_buf_get_name(bufnr))
    if root then
      on_dir(root)
    end
  end,
  -- Answered to workspace/configuration (section "lockwise") and sent with
  -- workspace/didChangeConfiguration: postgresVersion, rules (id -> severity),
  -- lockHints, assumeUtc, migrations, startAfter.
  settings = { lockwise = {} },
}
