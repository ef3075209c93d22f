"""Files attached to a referral, scanned by ClamAV before anyone can open them (issue 21)."""
