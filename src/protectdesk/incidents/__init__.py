"""Security incidents: register, analyse, react — with perpetrators, sources and evidence."""
