from spor.cli.app import main

main()
