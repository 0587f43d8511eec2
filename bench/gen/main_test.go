package main

import (
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const miniSpec = `
openapi: 3.0.1
paths:
  '/v1/tenants/{tenant_id}/things':
    get:
      parameters:
        - $ref: '#/components/parameters/tenant_id'
        - name: thing_id
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          content:
            application/json:
              schema:
                type: object
                properties:
                  inner:
                    type: string
              examples:
                One:
                  value: {inner: x}
  '/v1/tenants/{tenant_id}/things/{thing_id}':
    get:
      parameters:
        - $ref: '#/paths/~1v1~1tenants~1%7Btenant_id%7D~1things/get/parameters/0'
      responses:
        '200':
          content:
            application/json:
              schema:
                $ref: '#/paths/~1v1~1tenants~1%7Btenant_id%7D~1things/get/responses/200/content/application~1json/schema/properties/inner'
              examples:
                One:
                  $ref: '#/paths/~1v1~1tenants~1%7Btenant_id%7D~1things/get/responses/200/content/application~1json/examples/One'
components:
  parameters:
    tenant_id:
      name: tenant_id
      in: path
      required: true
      schema:
        type: string
`

func parse(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func TestPatches(t *testing.T) {
	root := parse(t, miniSpec)
	n, err := inlineDeepRefs(root)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("inlined %d references, want 2 (the parameter and the schema, not the example)", n)
	}
	changes := fixPathParams(root)
	want := []string{
		"GET /v1/tenants/{tenant_id}/things: -thing_id",
		"GET /v1/tenants/{tenant_id}/things/{thing_id}: +thing_id",
	}
	if !slices.Equal(changes, want) {
		t.Errorf("path parameter changes %q, want %q", changes, want)
	}
	out, err := yaml.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if strings.Count(s, "$ref: '#/paths") != 1 || !strings.Contains(s, "/examples/One") {
		t.Errorf("only the example reference should be left into #/paths:\n%s", s)
	}
	if !strings.Contains(s, "$ref: '#/components/parameters/tenant_id'") {
		t.Errorf("a component reference was changed:\n%s", s)
	}
}

func TestIsDeep(t *testing.T) {
	for ref, want := range map[string]bool{
		"#/components/schemas/Identity":                         false,
		"#/components/schemas/Identity/properties/traits":       true,
		"#/paths/~1v1/get/parameters/1":                         true,
		"#/paths/~1v1/get/responses/200/content/x/examples/One": false,
		"other.yaml#/components/schemas/X":                      false,
	} {
		if got := isDeep(ref); got != want {
			t.Errorf("isDeep(%q) = %v, want %v", ref, got, want)
		}
	}
}

func TestTemplateNames(t *testing.T) {
	got := templateNames("/v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}:revoke")
	if want := []string{"tenant_id", "realm_id", "identity_id"}; !slices.Equal(got, want) {
		t.Errorf("templateNames = %q, want %q", got, want)
	}
}
