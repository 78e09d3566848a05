"""Reading a scenario: YAML with the line of every key, `extends:`, `variants:` and
overrides, presets, the demand and volume files, promotion events. Errors name the file,
the key path and the line."""
