"""ST-portalen: specialist training administration for Swedish regions."""
