"""Rashomon's verb-pattern lexicon: verb lemma (+ particle/preposition, + object class) → CAMEO.

Written for Rashomon from the CAMEO 0.7b5 code labels (``data/cameo_event_codes.json``),
in the spirit of PETRARCH's verb dictionaries (a verb has a default code, and patterns on
its particle or object refine it), but matched on the spaCy dependency parse instead of
on word sequences, and with lemmas instead of inflected forms. It holds no sentence from
any gold set.

Table syntax (one pattern per line, ``#`` starts a comment)::

    visit                 042      the verb alone
    meet with             040      verb + particle/preposition child ("met with")
    cut +AID              162      verb + direct object (or preposition object) in class AID
    call on +TALKS        026      both
    n: visit              042      a nominal event ("Khalilzad's visit to Kabul")

Classes (``@NAME = word word "two words"``) name sets of object lemmas; a class entry
with two words matches the object's modifier + head ("military aid"). The most specific
pattern wins: preposition + class, then class, then preposition, then the bare verb.

Control verbs (``promise to``, ``urge X to``, ``refuse to``, ``plan to``) are listed in
:data:`CONTROL`: their code is composed with the root of the embedded action (see
:data:`COMPOSE`), the way CAMEO's 03x/02x/10x/12x/13x families mirror the material codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["COMPOSE", "CONTROL", "SPEECH", "Lexicon", "Pattern", "load_lexicon"]

LEXICON = r"""
# ---------------------------------------------------------------- noun classes
@AID = aid assistance help funding fund money loan grant supply food medicine relief donation
@AID = "financial support" "economic support" "military support" "material support"
@MILAID = "military aid" "military assistance" "military support" "security assistance"
@MILAID = "defense aid" weapon arm arms ammunition
@ECONAID = "economic aid" "financial aid" "economic assistance" "financial assistance"
@ECONAID = "development aid" loan money dollar credit
@HUMAID = "humanitarian aid" "humanitarian assistance" "food aid" food medicine relief shelter
@TALKS = talk negotiation meeting dialogue discussion consultation summit conference
@SANCTION = sanction embargo boycott
@RELATIONS = relation tie "diplomatic relation" "diplomatic tie"
@TROOPS = troop force soldier army unit contingent
@ATTACK = attack offensive strike raid assault bombardment invasion
@AGREEMENT = agreement deal accord treaty pact protocol convention
@CEASEFIRE = ceasefire cease-fire truce armistice
@PROTEST = protest demonstration rally march sit-in
@STRIKE = strike walkout
@HUNGER = "hunger strike"
@CURFEW = curfew
@EMERGENCY = emergency "martial law" "state of emergency" "state of siege" siege
@BAN = ban restriction measure "emergency measure" "security measure" control
@WORK = work
@FIGHTING = fighting battle clash combat
@SMALLARMS = firefight gunfight "gun battle" shootout "exchange of fire" "fire fight"
@REQUEST = demand request call appeal proposal offer plan invitation
@ELECTION = election vote referendum poll
@VISIT = visit trip tour
@INFO = information intelligence evidence expertise data knowledge
@SUPPORT = support backing endorsement
@PEACEKEEPER = peacekeeper peacekeeping "peacekeeping force" "peacekeeping troop"
@INSPECTOR = inspector observer monitor
@PRISONER = prisoner hostage detainee captive
@BORDER = border crossing frontier
@FIRE = fire
@CONCERN = concern worry alarm fear
@REGRET = regret sorrow condolence sympathy
@HOPE = hope optimism confidence
@RESPONSIBILITY = responsibility
@COOPERATION = cooperation collaboration partnership
@INVESTIGATION = investigation inquiry probe hearing
@ASYLUM = asylum refuge
@LEADER = resignation
@REFORM = reform change
@RIGHT = right freedom
@DOUBT = doubt

# ---------------------------------------------------------------- 01 public statement
decline +COMMENT 011
comment 010
acknowledge 015
admit 015
claim +RESPONSIBILITY 015
deny +RESPONSIBILITY 016
deny +INVOLVEMENT 016
express +CONCERN 012
voice +CONCERN 012
express +HOPE 013
express +REGRET 018
offer +REGRET 018
consider 014
mull 014
mourn 018
@COMMENT = comment
@INVOLVEMENT = involvement role link

# ---------------------------------------------------------------- 02 appeal
appeal 020
appeal to 020
appeal for 020
appeal for +AID 023
appeal for +TALKS 026
appeal for +CEASEFIRE 0256
urge 020
urge +TALKS 026
urge +SUPPORT 022
urge +RESTRAINT 0256
call on 020
call upon 020
call for 020
call for +AID 023
call for +TALKS 026
call for +CEASEFIRE 0256
call for +ELECTION 0244
call for +REFORM 024
call for +LEADER 0241
call for +RELEASE 0253
call for +SANCTION 1312
@RESTRAINT = restraint calm
@RELEASE = release
ask 020
ask for 020
ask for +AID 023
ask for +SUPPORT 022
ask for +COOPERATION 021
request 020
request +AID 023
request +SUPPORT 022
request +COOPERATION 021
seek 020
seek +AID 023
seek +SUPPORT 022
seek +COOPERATION 021
seek +TALKS 026
seek +ASYLUM 023
solicit 020
plead 020
plead for 020
petition 020
invite 036
press for 020
push for 020
lobby 020
implore 020
beg 020
encourage 020
nominate 020

# ---------------------------------------------------------------- 03 express intent to cooperate
promise 030
pledge 030
vow 030
offer 030
offer +AID 033
offer +MILAID 0332
offer +ECONAID 0331
offer +HUMAID 0333
offer +TALKS 036
offer +SUPPORT 032
offer +TROOPS 0334
commit 030
commit to 030
volunteer 030
agree 030
agree to 030
agree on 030
agree with 030
accept 030
accept +TALKS 036
assure 030
reassure 030
intend 030

# ---------------------------------------------------------------- 04 consult
meet 040
meet with 040
confer 040
consult 040
consult with 040
discuss 040
talk 040
talk with 040
talk to 040
negotiate 046
negotiate with 046
hold +TALKS 040
hold +TALKS with 040
have +TALKS 040
have +TALKS with 040
conduct +TALKS 040
begin +TALKS 046
start +TALKS 046
resume +TALKS 046
renew +TALKS 046
launch +MEDIATION 045
open +TALKS 046
engage +TALKS 046
engage in +TALKS 046
engage 040
enter +TALKS 046
enter into +TALKS 046
join +TALKS 046
attend +TALKS 040
attend 040
phone 041
telephone 041
call 041
visit 042
tour 042
travel 042
travel to 042
arrive 042
arrive in 042
fly to 042
head to 042
go to 042
pay +VISIT 042
make +VISIT 042
begin +VISIT 042
start +VISIT 042
host 043
receive 043
welcome 043
mediate 045
mediate between 045
broker 045
gather 040
convene 040

# ---------------------------------------------------------------- 05 diplomatic cooperation
praise 051
commend 051
hail 051
laud 051
applaud 051
welcome +DECISION 051
welcome +AGREEMENT 051
welcome +REQUEST 051
welcome +STATEMENT 051
@DECISION = decision move step initiative
@STATEMENT = statement announcement remark
endorse 051
support 051
back 051
thank 051
congratulate 051
defend 052
rally 053
recognize 054
recognize +OUTCOME 080
recognise +OUTCOME 080
@OUTCOME = victory win result outcome defeat
recognise 054
apologize 055
apologise 055
apologize to 055
forgive 056
sign 057
sign +AGREEMENT 057
conclude +AGREEMENT 057
ratify 057
reach +AGREEMENT 057
reach +CONSENSUS 030
@CONSENSUS = consensus understanding
strike +AGREEMENT 057
cooperate 050
cooperate with 050
work with 050
ally with 050
renew +RELATIONS 050
restore +RELATIONS 050
establish +RELATIONS 050
normalize +RELATIONS 050
improve +RELATIONS 050
upgrade +RELATIONS 050
reaffirm +SUPPORT 051
express +SUPPORT 051
voice +SUPPORT 051
reiterate +SUPPORT 051
reiterate +COMMITMENT 030
reaffirm +COMMITMENT 030
@COMMITMENT = commitment pledge promise assurance guarantee

# ---------------------------------------------------------------- 06 material cooperation
share +INFO 064
exchange +INFO 064
exchange +PRISONER 0841
trade with 061
invest 061
invest in 061
train 062
conduct +EXERCISE 150
hold +EXERCISE 150
stage +EXERCISE 150
conduct +EXERCISE with 062
hold +EXERCISE with 062
@EXERCISE = exercise drill manoeuvre maneuver
extradite 063
hand over +SUSPECT 063
@SUSPECT = suspect fugitive

# ---------------------------------------------------------------- 07 provide aid
provide 070
give 070
deliver 070
hand over 070
aid 070
assist 070
help 070
provide +AID 070
provide +MILAID 072
provide +ECONAID 071
provide +HUMAID 073
provide +PEACEKEEPER 074
give +AID 070
give +MILAID 072
give +ECONAID 071
give +HUMAID 073
give +ADDRESS 010
deliver +ADDRESS 010
@ADDRESS = speech address lecture interview briefing "press conference" "news conference" testimony
send +AID 070
send +MILAID 072
send +HUMAID 073
send +ECONAID 071
deliver +AID 070
deliver +HUMAID 073
deliver +MILAID 072
supply 070
supply +MILAID 072
donate 073
fund 071
finance 071
lend 071
grant +ECONAID 071
grant +ASYLUM 075
hand over +HUMAID 073
hand over +AID 070
arm 072
protect 074
shelter 075

# ---------------------------------------------------------------- 08 yield
yield 080
concede 080
comply 080
comply with 080
accept +REQUEST 080
accede to 080
give in 080
back down 080
relent 080
ease +BAN 081
lift +BAN 081
relax +BAN 081
lift +CURFEW 0813
ease +CURFEW 0813
shorten +CURFEW 0813
lift +EMERGENCY 0814
ease +EMERGENCY 0814
release 084
free 0841
release +PRISONER 0841
return 084
return to 042      # travelling back to a place ("return to Geneva for talks"), not returning something
hand back 0842
lift +SANCTION 085
ease +SANCTION 085
allow 080
allow +PEACEKEEPER 0861
allow +INSPECTOR 0862
@DELIVERY = delivery deliveries shipment shipments "aid delivery" "aid convoy" convoy convoys
allow +DELIVERY 0863    # "allow the delivery of grain": CAMEO 0863 allow delivery of humanitarian aid
permit +DELIVERY 0863
admit +INSPECTOR 0862
accept +INSPECTOR 0862
receive +INSPECTOR 0862
receive +PEACEKEEPER 0861
# receiving a pledge is the giver's act (coded with the giver as source)
receive +COMMITMENT 030
get +COMMITMENT 030
obtain +COMMITMENT 030
win +COMMITMENT 030
accept +PEACEKEEPER 0861
withdraw 0872
withdraw +TROOPS 0872
withdraw from 0872
pull out 0872
pull out of 0872
pull back 0872
retreat 0872
evacuate 0872
demobilize 0873
disarm 0873
surrender 0874
declare +CEASEFIRE 0871
agree to +CEASEFIRE 0871
resign 0831
step down 0831
lift +BLOCKADE 0872
@BLOCKADE = blockade siege

# ---------------------------------------------------------------- 09 investigate
investigate 090
probe 090
examine 090
inspect 090
look into 090
launch +INVESTIGATION 090
open +INVESTIGATION 090
begin +INVESTIGATION 090
order +INVESTIGATION 090
put under +INVESTIGATION 090
place under +INVESTIGATION 090
interrogate 091

# ---------------------------------------------------------------- 10 demand
demand 100
demand +AID 103
demand +TALKS 106
demand +ELECTION 1044
demand +REFORM 104
demand +RIGHT 1043
demand +LEADER 1041
demand +RELEASE 1053
demand +WITHDRAWAL 1056
demand +SUPPORT 102
@WITHDRAWAL = withdrawal pullout retreat
insist 100
insist on 100
order 100
command 100
instruct 100
require 100
press 100
pressure 100
pressure into 100
ultimatum 139
issue +ULTIMATUM 139
@ULTIMATUM = ultimatum

# ---------------------------------------------------------------- 11 disapprove
criticize 111
criticise 111
denounce 111
condemn 111
decry 111
deplore 111
slam 111
blast 111
lambast 111
rebuke 111
chide 111
scold 111
censure 111
castigate 111
attack +VERBAL 111
@VERBAL = policy remark statement comment
hit out at 111
lash out at 111
question 111
disapprove 110
oppose 110
object to 110
protest 114
complain 114
complain to 114
complain about 114
accuse 112
accuse of +CRIME 1121
accuse of +WARCRIME 1124
accuse of +AGGRESSION 1123
accuse of +ABUSE 1122
accuse of +SPYING 1125
# presenting evidence or proof against someone is an accusation (112)
@EVIDENCE = evidence proof
present +EVIDENCE 112
@CRIME = crime corruption fraud theft murder embezzlement bribery terrorism misuse
@WARCRIME = "war crime" genocide atrocity
@AGGRESSION = aggression attack violation
@ABUSE = abuse torture "human right"
@SPYING = espionage spying treason
blame 112
blame for 112
allege 112
# PLOVER's ACCUSE 'allege' mode: criminally indict, charge with a crime, bring to trial
charge 1121
charge with 1121
sue 115
convict 116
sentence 116
find +GUILTY 116
@GUILTY = guilty
warn 130
warn against 130

# ---------------------------------------------------------------- 12 reject
reject 120
reject +AID 122
reject +REQUEST 120
reject +TALKS 125
reject +PROPOSAL 125
reject +MEDIATION 126
reject +AGREEMENT 127
reject +PEACEKEEPER 1224
reject +REFORM 123
@PROPOSAL = proposal offer plan
@MEDIATION = mediation mediator "mediation effort" "mediation mission"
refuse 120
refuse +AID 122
decline 120
dismiss 120
rebuff 120
spurn 120
snub 120
rule out 120
turn down 120
veto 129
defy 128
violate 128
flout 128
boycott +TALKS 125
boycott +ELECTION 143
deny 120
resist 120

# ---------------------------------------------------------------- 13 threaten
threaten 130
threaten +SANCTION 1312
threaten +ATTACK 138
threaten +FORCE 138
threaten +STRIKE 133
threaten +PROTEST 133
@FORCE = force retaliation war "military action" reprisal

# ---------------------------------------------------------------- 14 protest
demonstrate 141
rally 141
march 141
protest against 141
stage +PROTEST 141
hold +PROTEST 141
organize +PROTEST 141
organise +PROTEST 141
stage +STRIKE 143
hold +STRIKE 143
organize +STRIKE 143
organise +STRIKE 143
go on +STRIKE 143
begin +STRIKE 143
call +STRIKE 143
stage +HUNGER 142
begin +HUNGER 142
go on +HUNGER 142
continue +HUNGER 142
strike 143
boycott 143
block 144
blockade 191
obstruct 144
riot 145

# ---------------------------------------------------------------- 15 military posture
mobilize 154
mobilise 154
mobilize +TROOPS 154
deploy 154
deploy +TROOPS 154
mass +TROOPS 154
station +TROOPS 154
send +TROOPS 154
put on +ALERT 152
@ALERT = alert

# ---------------------------------------------------------------- 16 reduce relations
cut 160
cut +AID 162
cut +MILAID 1622
cut +ECONAID 1621
cut +HUMAID 1623
cut off +AID 162
cut off +MILAID 1622
cut +RELATIONS 161
cut off +RELATIONS 161
sever +RELATIONS 161
break off +RELATIONS 161
break +RELATIONS 161
downgrade +RELATIONS 161
suspend 160
suspend +AID 162
suspend +MILAID 1622
suspend +ECONAID 1621
suspend +RELATIONS 161
suspend +TALKS 164
halt +AID 162
halt +MILAID 1622
halt +ECONAID 1621
halt +TALKS 164
halt +MEDIATION 165
freeze +AID 162
freeze +MILAID 1622
withhold +AID 162
withhold +MILAID 1622
stop +AID 162
end +AID 162
end +MEDIATION 165
reduce +AID 162
recall +AMBASSADOR 161
@AMBASSADOR = ambassador envoy diplomat
impose +SANCTION 163
slap +SANCTION 163
tighten +SANCTION 163
sanction 163
embargo 163
expel 166
expel +INSPECTOR 1662
expel +PEACEKEEPER 1661
withdraw +PEACEKEEPER 1661
break off +TALKS 164
walk out of 164
pull out of +TALKS 164
deny +ENTRY 172
@ENTRY = entry visa access

# ---------------------------------------------------------------- 17 coerce
seize 171
confiscate 1711
destroy 1712
demolish 1712
burn 1712
set +FIRE 1712
blow up 1712
vandalize 171
deface 171
hack 171
hack into 171
impose +BAN 172
ban 172
prohibit 172
restrict 172
censor 1721
outlaw 1722
impose +CURFEW 1723
declare +EMERGENCY 1724
impose +EMERGENCY 1724
arrest 173
put under +ARREST 173
place under +ARREST 173
@ARREST = arrest "house arrest" detention custody
detain 173
jail 173
imprison 173
indict 1121
prosecute 1121
put on +TRIAL 1121
bring to +TRIAL 1121
@TRIAL = trial
round up 173
deport 174
expel +PERSON 174
@PERSON = journalist diplomat national citizen worker migrant activist
crack down 175
crack down on 175
repress 175
prevent +PROTEST 172
disperse 175
@PROTESTER = protester demonstrator

# ---------------------------------------------------------------- 18 assault
abduct 181
kidnap 181
hijack 181
take +PRISONER 181
assault 182
beat 182
torture 1822
rape 1821
stab 182
execute 1823
lynch 1823
behead 1823
bomb 183
assassinate 186
attempt +ASSASSINATION 185
@ASSASSINATION = assassination

# ---------------------------------------------------------------- 19 fight
attack 190
fight 190
fight against 190
fight with 190
battle 190
clash 190
clash with 190
kill 190
wound 190
injure 190
ambush 190
strike 190
raid 190
storm 190
invade 190
capture 190
retake 190
recapture 190
overrun 190
launch +ATTACK 190
mount +ATTACK 190
carry out +ATTACK 190
open +FIRE 190
open fire on 190
fire on 190
fire at 190
shoot 193
shoot at 193
gun down 193
shell 194
bombard 194
pound 194
fire +ARTILLERY 194
launch +ARTILLERY 194
@ARTILLERY = artillery mortar rocket missile shell tank battery gun
airstrike 195
launch +AIRSTRIKE 195
carry out +AIRSTRIKE 195
@AIRSTRIKE = airstrike "air strike" "air raid" bombing sortie
occupy 192
annex 192
blockade 191
besiege 191
close +BORDER 191
seal +BORDER 191
violate +CEASEFIRE 196
break +CEASEFIRE 196

# ---------------------------------------------------------------- 20 mass violence
massacre 202
slaughter 202
expel +POPULATION 201
@POPULATION = population resident villager
cleanse 203
gas 2041

# ---------------------------------------------------------------- more verbs from the CAMEO code labels
# (each line is a general verb sense of a code's label or its usual synonyms, not a sentence)
guarantee 030
undertake 030
sit down with 040
confer with 040
welcome +VISIT 043
contribute 070
airlift 073
ship +AID 070
grant 070
call off +STRIKE 082
call off +PROTEST 082
end +STRIKE 082
end +PROTEST 082
suspend +STRIKE 082
suspend +PROTEST 082
cancel +BAN 081
remove +BAN 081
scrap +BAN 081
abolish +BAN 081
cancel +CURFEW 0813
lift +BORDER 0872
reopen +BORDER 0872
open +BORDER 0872
release +PROPERTY 0842
return +PROPERTY 0842
@PROPERTY = property land asset body remains
conduct +INVESTIGATION 090
oppose +MEDIATION 126
oppose +PROPOSAL 125
remain on +ALERT 152
place on +ALERT 152
go on +ALERT 152
reinforce +TROOPS 154
build up +TROOPS 154
patrol 150
freeze +RELATIONS 161
suspend +COOPERATION 160
withdraw +AMBASSADOR 161
force out 166
kick out 166
stop +WORK 143
walk out 143
picket 141
engage +FIGHTING 190
engage in +FIGHTING 190
engage +SMALLARMS 193
engage in +SMALLARMS 193
threaten +AIRSTRIKE 138
shoot down 190
target 190
strike at 190
gun down 193
riot against 145

# ---------------------------------------------------------------- round 3: more senses from the code labels
# (each line is the usual wording of a CAMEO code's label: 013 optimistic comment, 017
# symbolic act, 114 complain officially, 115 lawsuit, 140 political dissent, 150/152/154
# posture, 161/163/164 reduce relations, 171/1711/1712 property, 1721–1724 restrictions,
# 0841 release persons, 183 bombing, 192 occupy, 195 aerial weapons, 203 ethnic cleansing)
express +OPTIMISM 013
voice +OPTIMISM 013
express +SATISFACTION 013
@OPTIMISM = optimism confidence
@SATISFACTION = satisfaction appreciation gratitude
express +PESSIMISM 012
@PESSIMISM = pessimism skepticism scepticism disappointment
express +WILLINGNESS 030
signal +WILLINGNESS 030
@WILLINGNESS = willingness readiness
lay +WREATH 017
@WREATH = wreath
lodge +COMPLAINT 114
file +COMPLAINT 114
lodge +PROTEST 114
@COMPLAINT = complaint grievance
file +LAWSUIT 115
bring +LAWSUIT 115
@LAWSUIT = lawsuit suit "legal action" "court case"
collect +SIGNATURE 140
gather +SIGNATURE 140
@SIGNATURE = signature
raise +ALERT 152
heighten +ALERT 152
increase +ALERT 152
@ALERT = readiness "alert level" "state of alert"
call up +RESERVIST 154
mobilize +RESERVIST 154
mobilise +RESERVIST 154
@RESERVIST = reservist reserve conscript
dispatch +TROOPS 154
move +TROOPS 154
test +MISSILE 150
conduct +WEAPONTEST 150
carry out +WEAPONTEST 150
@MISSILE = missile rocket "ballistic missile" "nuclear device" "nuclear weapon"
@WEAPONTEST = "missile test" "nuclear test" "weapons test" "weapon test"
close +EMBASSY 161
shut +EMBASSY 161
@EMBASSY = embassy consulate
cancel +TALKS 164
call off +TALKS 164
postpone +TALKS 164
freeze +ASSET 163
@ASSET = asset account
ban +TRADE 163
@TRADE = import export trade
pardon 0841
grant +AMNESTY 0841
@AMNESTY = amnesty pardon
impound 1711
expropriate 1711
nationalize 1711
nationalise 1711
torch 1712
raze 1712
bulldoze 1712
loot 171
ransack 171
sabotage 171
dissolve +PARTY 1722
@PARTY = party
shut down +MEDIA 1721
close +MEDIA 1721
@MEDIA = newspaper station channel website radio television broadcaster
impose +BLACKOUT 1721
@BLACKOUT = blackout "news blackout" "information blackout" censorship
extend +CURFEW 1723
extend +EMERGENCY 1724
use +TEARGAS 175
fire +TEARGAS 175
@TEARGAS = "tear gas" teargas "rubber bullet" "water cannon"
apprehend 173
evict 174
murder 1823
detonate 183
set off +BOMB 183
plant +BOMB 183
@BOMB = bomb "car bomb" explosive device
strafe 195
seize +TERRITORY 192
take over +TERRITORY 192
@TERRITORY = territory town village city region province area
engage in +CLEANSING 203
carry out +CLEANSING 203
@CLEANSING = "ethnic cleansing" cleansing genocide
n: stopover 042

# ---------------------------------------------------------------- nominal events (noun heads)
n: visit 042
n: trip 042
n: tour 042
n: talk 046
n: negotiation 046
n: meeting 040
n: summit 040
n: consultation 040
n: call 041
n: mediation 045
n: request 020
n: appeal 020
n: demand 100
n: promise 030
n: pledge 030
n: commitment 030
n: assurance 030
n: offer 030
n: agreement 057
n: deal 057
n: treaty 057
n: aid 070
n: donation 073
n: suspension 160
n: suspension +AID 162
n: suspension +MILAID 1622
n: cut +AID 162
n: cut +MILAID 1622
n: cutoff +AID 162
n: sanction 163
n: embargo 163
n: arrest 173
n: deportation 174
n: expulsion 166
n: attack 190
n: offensive 190
n: invasion 190
n: raid 190
n: airstrike 195
n: strike 190
n: bombing 183
n: assassination 186
n: kidnapping 181
n: protest 141
n: demonstration 141
n: rally 141
n: criticism 111
n: condemnation 111
n: accusation 112
n: threat 130
n: warning 130
n: rejection 120
n: withdrawal 0872
n: release 084
n: investigation 090
n: ceasefire 0871
n: riot 145
n: crackdown 175
n: massacre 202
n: boycott 143
n: blockade 191
n: shelling 194
n: bombardment 194
n: ultimatum 139
n: apology 055
n: ambush 190
n: assault 190
"""

#: Control verbs: how a verb that takes an embedded action (xcomp) combines with it.
#: ``intent`` → 03x, ``appeal`` → 02x, ``demand`` → 10x, ``refuse`` → 12x, ``threaten`` → 13x,
#: ``pass`` → the embedded action's own code (aspect / attempt / plan verbs), with flags.
CONTROL: dict[str, str] = {
    "promise": "intent", "pledge": "intent", "vow": "intent", "agree": "intent",
    "offer": "intent", "commit": "intent", "undertake": "intent", "volunteer": "intent",
    "swear": "intent", "guarantee": "intent",
    "urge": "appeal", "ask": "appeal", "call": "appeal", "appeal": "appeal", "request": "appeal",
    "encourage": "appeal", "invite": "appeal", "implore": "appeal", "beg": "appeal",
    "press": "demand", "push": "demand", "pressure": "demand", "demand": "demand",
    "order": "demand", "tell": "demand", "instruct": "demand", "force": "demand",
    "compel": "demand",
    "refuse": "refuse", "decline": "refuse", "reject": "refuse",
    "threaten": "threaten",
    # pass-through: code the embedded action
    "begin": "pass", "start": "pass", "continue": "pass", "try": "pass", "attempt": "pass",
    "seek": "pass", "decide": "pass", "move": "pass", "plan": "pass", "intend": "pass",
    "want": "pass", "hope": "pass", "expect": "pass", "aim": "pass", "prepare": "pass",
    "manage": "pass", "fail": "pass", "go": "pass", "resume": "pass", "help": "pass",
    "wish": "pass", "struggle": "pass", "work": "pass", "choose": "pass", "opt": "pass",
    "vote": "pass", "need": "pass", "prompt": "pass", "allow": "pass", "let": "pass",
    "announce": "pass", "say": "pass", "be": "pass", "schedule": "pass", "set": "pass",
    "due": "pass", "ready": "intent", "willing": "intent", "prepared": "intent", "likely": "pass",
    "able": "pass", "unable": "pass", "eager": "pass", "determined": "pass", "keen": "pass",
    "reluctant": "pass", "unwilling": "pass", "poised": "pass", "about": "pass",
    "expected": "pass", "scheduled": "pass", "slated": "pass", "supposed": "pass",
    "deny": "pass",
}

#: Pass-through verbs whose embedded action has not happened (yet).
FUTURE_CONTROL = frozenset({
    "plan", "intend", "expect", "aim", "prepare", "schedule", "set", "due", "poised",
    "about", "expected", "scheduled", "slated", "go", "ready", "willing", "prepared",
})
HYPOTHETICAL_CONTROL = frozenset({
    "want", "hope", "wish", "try", "attempt", "seek", "likely", "able", "eager", "keen",
    "determined", "need", "supposed",
})
NEGATING_CONTROL = frozenset({"fail", "unable", "reluctant", "unwilling", "deny"})

#: For a control family, the code given the root of the embedded action.
COMPOSE: dict[str, dict[str, str]] = {
    "intent": {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035", "03": "030",
               "02": "030", "09": "030", "default": "030"},
    "appeal": {"04": "026", "05": "022", "06": "021", "07": "023", "08": "025", "default": "020"},
    "demand": {"04": "106", "05": "102", "06": "101", "07": "103", "08": "105", "default": "100"},
    "refuse": {"04": "125", "05": "120", "06": "121", "07": "122", "08": "124", "03": "120",
               "default": "120"},
    "threaten": {"16": "131", "17": "137", "18": "138", "19": "138", "20": "138", "14": "133",
                 "12": "130", "default": "130"},
}

#: Verbs of saying: their clause complement is reported, not the speaker's act.
SPEECH = frozenset({
    "say", "tell", "state", "add", "announce", "report", "claim", "declare", "note",
    "explain", "insist", "reveal", "confirm", "write", "tweet", "argue", "stress",
    "emphasize", "emphasise", "suggest", "indicate", "believe", "think", "know", "acknowledge",
    "recall", "remark", "reply", "respond", "quote", "understand", "learn", "hear", "show",
    "mention", "assert", "maintain", "allege", "contend", "predict", "estimate", "see",
    "reiterate", "conclude", "recognize", "recognise", "feel", "fear", "hope", "signal",
    "make", "describe", "admit", "deny", "concede", "warn", "agree", "complain", "accuse",
})


@dataclass(frozen=True, slots=True)
class Pattern:
    lemma: str
    prep: str | None  # particle or preposition child ("on" in "call on")
    obj_class: str | None
    code: str
    nominal: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Verb and noun patterns indexed by head lemma, with the object classes."""

    verbs: dict[str, tuple[Pattern, ...]]
    nouns: dict[str, tuple[Pattern, ...]]
    classes: dict[str, frozenset[str]]
    # word -> classes containing it (single words) and "modifier head" -> classes
    word_classes: dict[str, frozenset[str]]

    def classes_of(self, head: str, modifiers: tuple[str, ...] = ()) -> frozenset[str]:
        out: set[str] = set(self.word_classes.get(head, ()))
        for m in modifiers:
            out.update(self.word_classes.get(f"{m} {head}", ()))
        return frozenset(out)

    def __len__(self) -> int:
        return sum(len(v) for v in self.verbs.values()) + sum(len(v) for v in self.nouns.values())


_CLASS_RE = re.compile(r'^@(\w+)\s*=\s*(.+)$')
_WORD_RE = re.compile(r'"([^"]+)"|(\S+)')


def parse_lexicon(text: str) -> Lexicon:
    """Parse the table syntax described in the module docstring."""
    classes: dict[str, set[str]] = {}
    verbs: dict[str, list[Pattern]] = {}
    nouns: dict[str, list[Pattern]] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = _CLASS_RE.match(line)
        if m:
            members = {(a or b).lower() for a, b in _WORD_RE.findall(m.group(2))}
            classes.setdefault(m.group(1), set()).update(members)
            continue
        nominal = line.startswith("n:")
        if nominal:
            line = line[2:].strip()
        parts = line.split()
        code = parts[-1]
        if not code.isdigit():
            raise ValueError(f"verb lexicon line {lineno}: code missing in {raw!r}")
        words = parts[:-1]
        obj_class = None
        if words and words[-1].startswith("+"):
            obj_class = words.pop()[1:]
        lemma = words[0]
        prep = " ".join(words[1:]) or None
        pat = Pattern(lemma=lemma, prep=prep, obj_class=obj_class, code=code, nominal=nominal)
        (nouns if nominal else verbs).setdefault(lemma, []).append(pat)
    for table in (verbs, nouns):
        for pats in table.values():
            for p in pats:
                if p.obj_class and p.obj_class not in classes:
                    raise ValueError(f"verb lexicon: unknown class @{p.obj_class}")
    word_classes: dict[str, set[str]] = {}
    for name, members in classes.items():
        for w in members:
            word_classes.setdefault(w, set()).add(name)

    def rank(p: Pattern) -> int:  # most specific first
        return (0 if p.prep and p.obj_class else 1 if p.obj_class else 2 if p.prep else 3)

    return Lexicon(
        verbs={k: tuple(sorted(v, key=rank)) for k, v in verbs.items()},
        nouns={k: tuple(sorted(v, key=rank)) for k, v in nouns.items()},
        classes={k: frozenset(v) for k, v in classes.items()},
        word_classes={k: frozenset(v) for k, v in word_classes.items()},
    )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The built-in lexicon, parsed once per process."""
    return parse_lexicon(LEXICON)
