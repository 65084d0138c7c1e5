defmodule Shop.MixProject do
  use Mix.Project

  def project do
    [app: :shop, version: "0.1.0", elixir: "~> 1.15", deps: deps()]
  end

  defp deps do
    [{:ecto_sql, "~> 3.13"}, {:postgrex, ">= 0.0.0"}]
  end
end
