from bot.delays.worker import main

main()
