"""Fixed assets: the register beside the ledger, their depreciation plans and entries."""
