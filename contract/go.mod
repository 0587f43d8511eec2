module github.com/passkeyhq/beyondidentity/contract

go 1.25

// Prism, installed by run.sh with npm ci; never Go packages.
ignore ./node_modules

require (
	github.com/hashicorp/go-cleanhttp v0.5.2
	github.com/passkeyhq/beyondidentity v0.0.0
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.5
)

require (
	github.com/google/go-querystring v1.2.0 // indirect
	github.com/hashicorp/go-retryablehttp v0.7.8 // indirect
)

replace github.com/passkeyhq/beyondidentity => ../
