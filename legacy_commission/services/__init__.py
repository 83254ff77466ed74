"""Chapter 6 services: plans.py (R43–R46, D2), sheets.py (R47–R53), commission.py (R54–R68)."""
