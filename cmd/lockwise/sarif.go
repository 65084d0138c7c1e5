package main

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/lockwise/lockwise/analysis"
	"github.com/lockwise/lockwise/analysis/check"
	"github.com/lockwise/lockwise/analysis/rules"
)

// The SARIF 2.1.0 subset lockwise writes (OASIS SARIF 2.1.0 errata 01).
// Only the fields used are declared; the test validates the output
// against the official schema.

const (
	sarifSchema    = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion   = "2.1.0"
	informationURI = "https://github.com/lockwise/lockwise"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	// ColumnKind says that columns count Unicode code points, as every
	// lockwise format does (SARIF's default would be UTF-16 code units).
	ColumnKind string `json:"columnKind"`
	// Language is the language of the messages (SARIF's default, written
	// out because some consumers' models require it).
	Language string        `json:"language"`
	Results  []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string           `json:"id"`
	ShortDescription     *sarifMessage    `json:"shortDescription,omitempty"`
	HelpURI              string           `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleDefault `json:"defaultConfiguration"`
}

type sarifRuleDefault struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifInvocation struct {
	ExecutionSuccessful            bool                `json:"executionSuccessful"`
	ToolConfigurationNotifications []sarifNotification `json:"toolConfigurationNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations"`
	Fixes     []sarifFix      `json:"fixes,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion   `json:"deletedRegion"`
	InsertedContent *sarifMessage `json:"insertedContent,omitempty"`
}

func writeSARIF(w io.Writer, r checkReport) error {
	driver := sarifDriver{Name: "lockwise", Version: version, InformationURI: informationURI, Rules: []sarifRule{}}
	index := map[string]int{}
	addRule := func(id string, doc, help string, sev analysis.Severity) {
		index[id] = len(driver.Rules)
		rule := sarifRule{ID: id, HelpURI: help, DefaultConfiguration: sarifRuleDefault{Level: level(sev, "note")}}
		if doc != "" {
			rule.ShortDescription = &sarifMessage{Text: doc}
		}
		driver.Rules = append(driver.Rules, rule)
	}
	for _, a := range rules.All {
		addRule(a.Name, a.Doc, a.URL(), a.Severity)
	}
	run := sarifRun{ColumnKind: "unicodeCodePoints", Language: "en-US", Results: []sarifResult{}}
	for _, f := range r.Findings {
		if _, ok := index[f.Rule]; !ok {
			// Findings that are not rules of the catalog: syntax errors and
			// invalid suppression comments.
			switch f.Rule {
			case check.SuppressionRule:
				addRule(f.Rule, "suppression comment naming an unknown rule or check", analysis.DocsBase+f.Rule+".md", analysis.Warning)
			case syntaxRule:
				addRule(f.Rule, "the file does not parse as Elixir", "", analysis.Error)
			default:
				addRule(f.Rule, "", f.URL, f.Severity)
			}
		}
		uri := sarifURI(f.Path)
		res := sarifResult{
			RuleID: f.Rule, RuleIndex: index[f.Rule], Level: level(f.Severity, "note"), Message: sarifMessage{Text: f.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri}, Region: sarifRegionOf(f.span)}}},
		}
		for _, fx := range f.Fixes {
			change := sarifArtifactChange{ArtifactLocation: sarifArtifact{URI: uri}}
			for _, e := range fx.Edits {
				rep := sarifReplacement{DeletedRegion: sarifRegionOf(e.span)}
				if e.NewText != "" {
					rep.InsertedContent = &sarifMessage{Text: e.NewText}
				}
				change.Replacements = append(change.Replacements, rep)
			}
			res.Fixes = append(res.Fixes, sarifFix{Description: sarifMessage{Text: fx.Title}, ArtifactChanges: []sarifArtifactChange{change}})
		}
		run.Results = append(run.Results, res)
	}
	inv := sarifInvocation{ExecutionSuccessful: !r.Errors}
	for _, p := range r.Problems {
		inv.ToolConfigurationNotifications = append(inv.ToolConfigurationNotifications, sarifNotification{Level: "error", Message: sarifMessage{Text: p.Error()}})
	}
	run.Invocations = []sarifInvocation{inv}
	run.Tool = sarifTool{Driver: driver}
	// Compact: SARIF files are read by tools and uploaded (GitHub code
	// scanning limits their size); indentation would add about 40%.
	return json.NewEncoder(w).Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

func sarifRegionOf(s span) sarifRegion {
	return sarifRegion{StartLine: s.Line, StartColumn: s.Col, EndLine: s.EndLine, EndColumn: s.EndCol}
}

// sarifURI turns a report path into a URI reference: relative paths stay
// relative (code scanning resolves them against the repository root),
// others become file: URIs. Characters such as spaces and '%' are escaped.
func sarifURI(p string) string {
	if filepath.IsAbs(p) {
		slash := filepath.ToSlash(p)
		if !strings.HasPrefix(slash, "/") {
			slash = "/" + slash // C:/x → file:///C:/x
		}
		return (&url.URL{Scheme: "file", Path: slash}).String()
	}
	return (&url.URL{Path: strings.TrimPrefix(filepath.ToSlash(p), "./")}).String()
}
