"""Searching referrals (issue 20 part A): triage and managers look a child or a value
up across referrals; every search and every opened hit is audited."""
