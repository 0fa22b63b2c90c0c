"""Domain rules as data: concept profiles, furniture, subject and dose word lists."""
