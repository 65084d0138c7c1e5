defmodule App.Repo.Migrations.Sql do
  use Ecto.Migration

  def up do
    # é 𐐀: multi-byte text before a finding
    execute "ALTER TABLE orders ALTER COLUMN total SET EXPRESSION AS (net + tax)" # want "PostgreSQL 15's parser rejects this SQL \\(syntax error at or near \"EXPRESSION\"\\), so lockwise does not analyse it"
    table = Application.get_env(:app, :audit_table)
    execute "ALTER TABLE #{table} ADD COLUMN note text" # want "this SQL interpolates `#\\{table\\}`: lockwise analysed it with a placeholder"
    execute "DO $$ BEGIN PERFORM 1; END $$" # want "DO block: the statements it runs are not analysed. lockwise does not know every lock"
    execute "CREATE POLICY tenant ON orders USING (tenant_id = current_setting('app.tenant')::bigint)" # want "CreatePolicyStmt is not modelled: its locks are not known"
    execute "SELECT refresh_totals()" # want "This SELECT calls refresh_totals\\(\\): what it does is not analysed"
  end

  def down do
    execute File.read!("priv/repo/down.sql") # want "the SQL of this execute is not known statically: its locks are not analysed"
  end
end
