package rules

import "testing"

func TestDropIndexNotConcurrently(t *testing.T) { testRule(t, DropIndexNotConcurrently) }
