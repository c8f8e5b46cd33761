"""Donors, tax receipts (« reçus au titre des dons », CERFA 11580) and membership fees."""
