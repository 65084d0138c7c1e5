; defmodule Name do ... end, with the body, to find migration modules fast.
(call
  target: (identifier) @def
  (arguments . (alias) @name)
  (do_block) @body
  (#eq? @def "defmodule"))
