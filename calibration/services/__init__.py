"""Writes of chapter 5, one module per step: applications (R12, R37), composition (R38–R40),
session and protocol (R41), feedback (R42), appeals (R13)."""
