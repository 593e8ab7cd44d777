"""Items, the example resource: copy this package to add your own."""
