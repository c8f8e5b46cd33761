"""What the board presents to the assemblée générale: the treasurer's financial report."""
