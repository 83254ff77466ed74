"""Chapter 6 pages: plans.py (appendix 9), sheets.py (appendix 10), commission.py (R54–R68)."""
