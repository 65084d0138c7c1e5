package rules

import (
	"regexp"
	"testing"
)

var idRe = regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)

// Every rule is well formed, listed once, and has a testdata directory.
func TestCatalog(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range All {
		if !idRe.MatchString(a.Name) || a.Doc == "" || a.Run == nil || a.Severity == 0 {
			t.Errorf("rule %q is incomplete", a.Name)
		}
		if seen[a.Name] {
			t.Errorf("rule %q listed twice", a.Name)
		}
		seen[a.Name] = true
		if ByName(a.Name) != a {
			t.Errorf("ByName(%q) does not find it", a.Name)
		}
	}
}

func TestNewMigrationVersions(t *testing.T) {
	if got := nextVersion("20240101235959", []string{"20240102000000_x.exs"}, 1); got != "20240102000001" {
		t.Errorf("nextVersion skips taken versions across midnight: %s", got)
	}
	if got := nextVersion("20240101000000", nil, 2); got != "20240101000002" {
		t.Errorf("second step: %s", got)
	}
	if got := nextVersion("7", nil, 1); got != "8" {
		t.Errorf("plain numbers: %s", got)
	}
	if camel("validate_users_org_id_fkey") != "ValidateUsersOrgIdFkey" {
		t.Error(camel("validate_users_org_id_fkey"))
	}
}
