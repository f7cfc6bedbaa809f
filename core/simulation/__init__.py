"""The headless simulation: days of orders through the real backend on a simulated clock.

`lastmile simulate` builds a fresh demo world (core.simulation.world), then runs the day
(core.simulation.day): a queue of timed events — arrivals, dispatch rounds, the people's turns —
moves a SimulatedClock from one event to the next, nothing sleeps and no screen opens. The people
are the demo's (core.demo: crew, grabbing, agent_desk, arrivals, marks); the backend is the real
one (core.simulation.backend). It ends with one JSON summary (core.simulation.report).
"""
