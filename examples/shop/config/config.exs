import Config

config :shop, ecto_repos: [Shop.Repo]

config :shop, Shop.Repo,
  migration_timestamps: [type: :utc_datetime],
  migration_lock: :table_lock
