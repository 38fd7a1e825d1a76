"""The procès-verbal of a panel's deliberation: its content (`service`), its PDF (`render`, on the shared
PDF pool), its job (`jobs`) and its pages (`web`)."""
