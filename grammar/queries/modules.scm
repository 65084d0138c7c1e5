; defmodule Name do ... end, with the body, to find migration modules fast.
; Generated migrations sometimes name the module with a quoted atom:
; defmodule :"Elixir.App.Repo.Migrations.Add-x" do
(call
  target: (identifier) @def
  (arguments . [(alias) (quoted_atom)] @name)
  (do_block) @body
  (#eq? @def "defmodule"))
