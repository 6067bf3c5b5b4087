"""The generated pages of the project's documentation (docs/exports.md, docs/indicateurs.md).

They are rendered from the data contracts, the code lists and the indicator catalog, so that what
the documentation says is what the chain checks and computes. `make docs` rewrites them; a test
fails when a committed page differs from what its sources give. Nothing at run time imports this
package.
"""
