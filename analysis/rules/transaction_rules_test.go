package rules

import "testing"

func TestLockTimeoutMissing(t *testing.T)    { testRule(t, LockTimeoutMissing) }
func TestIrreversibleChange(t *testing.T)    { testRule(t, IrreversibleChange) }
func TestMissingDown(t *testing.T)           { testRule(t, MissingDown) }
func TestHypertableMigrateData(t *testing.T) { testRule(t, HypertableMigrateData) }
func TestEctoRejects(t *testing.T)           { testRule(t, EctoRejects) }
