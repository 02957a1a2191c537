"""The directory: employers, recruitment agencies, buyers, licences and the links between them."""
