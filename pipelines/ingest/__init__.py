"""Reading what sites send: inbox scanning, file decoding, header mapping, typing, pseudonymisation."""
