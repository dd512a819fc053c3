"""Services: load rows, apply the domain rules, write rows. They flush and never commit."""
