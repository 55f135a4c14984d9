"""Cases: the encrypted compartments of the desk — cases, their members and keys, defenders."""
