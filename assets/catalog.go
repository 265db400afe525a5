package assets

import _ "embed"

// CatalogJSON is the catalog of sync software that the device checks judge against
// (internal/conduit reads it). It is embedded so that a workstation without a policy still
// has one; IT replaces it with the policy key devices.catalog_file when it knows better.
//
//go:embed catalog.json
var CatalogJSON []byte
