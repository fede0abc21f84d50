"""The aiogram 3 bot the pipeline benchmark compares Loket with.

It does what the brief's reference bot does for `/saldo`: one SQLite read of the wallet
balance (aiosqlite, one connection opened at start) and one reply, with aiogram's default
polling (updates handled as tasks). It keeps nothing durable. `loket-bench pipeline` starts it
against its fake Bot API with LOKET_BENCH_API_URL, LOKET_BENCH_TOKEN and LOKET_BENCH_DATABASE.
"""

import asyncio
import logging
import os

import aiosqlite
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import Command
from aiogram.types import Message


async def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    database = await aiosqlite.connect(os.environ["LOKET_BENCH_DATABASE"])
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["LOKET_BENCH_API_URL"]))
    bot = Bot(os.environ["LOKET_BENCH_TOKEN"], session=session, default=DefaultBotProperties(parse_mode="HTML"))
    dispatcher = Dispatcher()

    @dispatcher.message(Command("saldo"))
    async def saldo(message: Message) -> None:
        async with database.execute("SELECT balance FROM accounts WHERE code = ?", (f"wallet:{message.chat.id}",)) as cursor:
            row = await cursor.fetchone()
        balance = row[0] if row else 0
        await message.answer(f"💰 Saldo kamu: <b>Rp{balance:,}</b>".replace(",", "."))

    print("ready", flush=True)
    await dispatcher.start_polling(bot, polling_timeout=30, handle_signals=True)


if __name__ == "__main__":
    asyncio.run(main())
