let smshVersion = "0.1.0"
