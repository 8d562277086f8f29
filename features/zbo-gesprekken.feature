# language: nl
@maatregel-4
Functionaliteit: Herinneringen aan het gesprek over de locatie van zbo's
  BZK vraagt iedere minister met zbo's om de locatie op de agenda te zetten van het
  periodieke gesprek over de langetermijnvisie van elke zbo (circulaire "Governance ten
  aanzien van zbo's"). Per zbo geldt een gesprekscyclus met een uiterste datum. Het
  ministerie krijgt een herinnering 30 dagen vóór die datum, op die datum en 14 dagen erna,
  zolang er voor die ronde geen gesprek is vastgelegd waarin de locatie is besproken: een
  gesprek zonder dat onderwerp wordt vastgelegd, maar rondt de ronde niet af. Elke herinnering
  komt één keer.

  Achtergrond:
    Gegeven de zbo "Sociale Verzekeringsbank" valt onder het "Ministerie van Sociale Zaken en Werkgelegenheid"
    En dat ministerie is bereikbaar op "zbo-contact@minszw.nl"
    En het gesprek met de "Sociale Verzekeringsbank" moet uiterlijk 1 juni 2026 gevoerd zijn, met een gesprekscyclus van 12 maanden

  Scenario: Dertig dagen vooraf krijgt het ministerie een herinnering
    Als de herinneringen worden verstuurd op 2 mei 2026
    Dan ontvangt "zbo-contact@minszw.nl" 1 herinnering
    En de herinnering noemt "Sociale Verzekeringsbank", "Ministerie van Sociale Zaken en Werkgelegenheid", "1 juni 2026" en "Governance ten aanzien van zbo's"

  Scenario: Wie vaker verstuurt, stuurt geen herinnering dubbel
    Als de herinneringen worden verstuurd op 2 mei 2026
    En de herinneringen worden verstuurd op 2 mei 2026
    En de herinneringen worden verstuurd op 20 mei 2026
    Dan ontvangt "zbo-contact@minszw.nl" 1 herinnering

  Scenario: Zolang er niets is vastgelegd, volgen herinneringen op en na de uiterste datum
    Als de herinneringen worden verstuurd op 2 mei 2026
    En de herinneringen worden verstuurd op 1 juni 2026
    En de herinneringen worden verstuurd op 15 juni 2026
    En de herinneringen worden verstuurd op 1 juli 2026
    Dan ontvangt "zbo-contact@minszw.nl" 3 herinneringen
    En de laatste herinnering zegt dat het de laatste herinnering voor deze ronde is

  Scenario: Een vastgelegd gesprek stopt de herinneringen en zet de volgende ronde klaar
    Gegeven de herinneringen worden verstuurd op 2 mei 2026
    Als BZK vastlegt dat het gesprek met de "Sociale Verzekeringsbank" op 20 mei 2026 is gevoerd en de spreiding is besproken, met als uitkomst "Uitbreiding in Groningen wordt onderzocht"
    En de herinneringen worden verstuurd op 1 juni 2026
    En de herinneringen worden verstuurd op 15 juni 2026
    Dan ontvangt "zbo-contact@minszw.nl" 1 herinnering
    En het volgende gesprek met de "Sociale Verzekeringsbank" moet uiterlijk 20 mei 2027 gevoerd zijn

  Scenario: Een gesprek waarin de locatie niet is besproken, rondt de ronde niet af
    Gegeven de herinneringen worden verstuurd op 2 mei 2026
    Als BZK vastlegt dat het gesprek met de "Sociale Verzekeringsbank" op 20 mei 2026 is gevoerd zonder dat de locatie is besproken
    En de herinneringen worden verstuurd op 1 juni 2026
    Dan ontvangt "zbo-contact@minszw.nl" 2 herinneringen
    En het volgende gesprek met de "Sociale Verzekeringsbank" moet uiterlijk 1 juni 2026 gevoerd zijn

  Scenario: Na een gemiste ronde komt alleen de herinnering die nu geldt
    Als de herinneringen voor het eerst weer worden verstuurd op 20 juni 2026
    Dan ontvangt "zbo-contact@minszw.nl" 1 herinnering
    En de herinnering zegt dat de uiterste datum 19 dagen geleden was

  Scenario: Zonder contactadres van het ministerie gaat de herinnering naar BZK
    Gegeven van het ministerie is geen contactadres bekend
    Als de herinneringen worden verstuurd op 2 mei 2026
    Dan ontvangt BZK 1 herinnering
    En de herinnering vraagt BZK haar door te sturen naar het ministerie

  Scenario: Bij een storing van de mailserver gaat geen herinnering verloren
    Gegeven de mailserver is onbereikbaar
    Als de herinneringen worden verstuurd op 2 mei 2026
    Dan is er nog geen herinnering aangekomen en wacht er 1 bericht
    Als de mailserver weer bereikbaar is
    En de herinneringen worden verstuurd op 3 mei 2026
    En de herinneringen worden verstuurd op 4 mei 2026
    Dan ontvangt "zbo-contact@minszw.nl" 1 herinnering
