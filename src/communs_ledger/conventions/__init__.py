"""Subsidy conventions: the file shared by the cash plan and the subsidies follow-up."""
