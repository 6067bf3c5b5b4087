"""Pilotage de l'IAE en détention : la chaîne de données, de la boîte de dépôt aux publications."""
