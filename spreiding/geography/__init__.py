"""The geography of the Netherlands: provinces, COROP regions, municipalities and their maps."""
