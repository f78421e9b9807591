SMSH.main()
