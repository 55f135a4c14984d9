"""Portuguese (Brazil) templates of the demo's generated incidents and plans (fictional)."""

from __future__ import annotations

from protectdesk.demo_texts import C, PlanTemplate, Texts, V, Variant

P, D = "physical", "digital"

VARIANTS = {
    "surveillance": (
        Variant(
            P,
            "Vigilância em frente à sede",
            "{Who} ficaram {time} em frente de {place} fotografando quem entrava e saía. Foram "
            "embora quando chegaram mais pessoas de {group}.",
            "office",
        ),
        Variant(
            P,
            "Perguntaram por {subject} na vizinhança",
            "{Who} perguntaram aos vizinhos perto de {place} a que horas {subject} sai de casa, "
            "com quem mora e qual carro usa. Disseram que faziam uma pesquisa.",
            "home",
        ),
        Variant(
            D,
            "Suspeita de celular grampeado",
            "Numa reunião, um servidor público repetiu frases de uma ligação particular de "
            "{subject} do dia anterior. Desde então o celular esquenta e a bateria dura pouco.",
        ),
    ),
    "stalking": (
        Variant(
            P,
            "Perseguição de moto até em casa",
            "{Who} seguiram {subject} {time} desde {place} até em casa, sempre à mesma "
            "distância. No dia seguinte passaram outras duas vezes pela rua.",
            "road",
        ),
        Variant(
            P,
            "Um carro seguiu o táxi",
            "Um carro prata seguiu o táxi em que {subject} voltava de {place}; mudava de faixa "
            "cada vez que o táxi mudava e parou a meia quadra do destino.",
            "public",
        ),
    ),
    "intimidation": (
        Variant(
            D,
            "Ligações mudas",
            "{Subject} recebeu ligações de um número privado {time} durante uma semana; ninguém "
            "falava e desligavam quando atendia.",
        ),
        Variant(
            P,
            "Bilhete intimidador debaixo da porta",
            "Alguém deixou debaixo da porta de {place} um bilhete escrito à mão: «sabemos o que "
            "vocês fazem e com quem se reúnem».",
            "office",
        ),
        Variant(
            P,
            "Intimidação numa blitz",
            "Numa blitz perto de {place}, {who} retiveram {subject} por uma hora, fotografaram "
            "os documentos e disseram que era melhor «tomar cuidado».",
            "road",
        ),
    ),
    "death_threat": (
        Variant(
            D,
            "Ameaça de morte por mensagem",
            "{Subject} recebeu uma mensagem de um número desconhecido: «para de se meter onde "
            "não deve ou vai morrer».",
        ),
        Variant(
            D,
            "Ameaça por telefone",
            "Uma voz de homem ligou para {subject} {time} e disse que os dias estavam contados "
            "se as denúncias continuassem.",
        ),
        Variant(
            P,
            "Lista de marcados para morrer",
            "Apareceu em {place} uma lista com o nome de {subject} e de outras três pessoas de "
            "{group}, com a frase «os próximos da lista».",
            "public",
        ),
    ),
    "other_threat": (
        Variant(
            P,
            "Recado para a família",
            "{Who} abordaram um parente de {subject} em {place} e mandaram dizer que é melhor "
            "largar a luta «pelo bem de todos».",
            "home",
        ),
        Variant(
            D,
            "Ameaça nas redes sociais",
            "Um perfil anônimo publicou uma foto de {place} com a legenda «já sabemos onde vocês "
            "se reúnem, depois não digam que não avisamos».",
            "office",
        ),
    ),
    "stigmatisation": (
        Variant(
            D,
            "Campanha de difamação nas redes",
            "Vários perfis publicaram na mesma hora mensagens acusando {group} de receber "
            "dinheiro estrangeiro e de atrapalhar o progresso da região.",
        ),
        Variant(
            P,
            "Vereador acusa {subject} na rádio",
            "Numa entrevista à rádio local, um vereador acusou {subject} de «invadir terra "
            "alheia» e pediu uma investigação sobre as contas de {group}.",
        ),
        Variant(
            P,
            "Faixas difamatórias na cidade",
            "Apareceram faixas perto de {place} acusando {subject} de mentir para a comunidade "
            "para receber benefícios.",
            "public",
        ),
    ),
    "online_harassment": (
        Variant(
            D,
            "Ataques em massa nas redes sociais",
            "Durante vários dias {subject} recebeu dezenas de xingamentos e comentários de ódio "
            "nas publicações, quase todos de perfis criados naquele mesmo mês.",
        ),
        Variant(
            D,
            "Exposição de dados pessoais",
            "Um perfil anônimo divulgou dados pessoais de {subject}, o bairro onde mora e o nome "
            "do filho, com xingamentos e a frase «para todo mundo saber».",
        ),
    ),
    "digital_attack": (
        Variant(
            D,
            "Tentativa de invasão do e-mail",
            "{Subject} recebeu alertas de várias tentativas de acesso ao e-mail {time}, vindas de "
            "outro país; quem tentou conhecia uma senha antiga.",
        ),
        Variant(
            D,
            "Perfil da organização invadido",
            "A página de {group} nas redes sociais foi invadida por terceiros, que publicaram "
            "mensagens falsas durante dois dias até a recuperação.",
        ),
        Variant(
            D,
            "E-mail com arquivo espião",
            "Chegou a {group} um e-mail que imitava uma intimação judicial, com um anexo; um "
            "técnico de confiança confirmou que era um programa espião.",
        ),
    ),
    "judicial_harassment": (
        Variant(
            P,
            "Processo por esbulho possessório",
            "Foi aberto um processo contra {subject} e outras duas pessoas de {group} por "
            "esbulho possessório; a petição repete quase palavra por palavra uma nota dos "
            "fazendeiros da região.",
            only=("land",),
        ),
        Variant(
            P,
            "Intimação para depor na delegacia",
            "{Subject} recebeu uma intimação para depor num inquérito por «incitação ao crime» "
            "aberto depois do protesto em {place}.",
            "public",
        ),
        Variant(
            P,
            "Ação por difamação",
            "Um empresário local entrou com uma ação por difamação contra {subject} por causa de "
            "entrevistas à imprensa, pedindo uma indenização impossível de pagar.",
        ),
    ),
    "arbitrary_detention": (
        Variant(
            P,
            "Detenção durante um protesto",
            "A polícia deteve {subject} e outras quatro pessoas durante o protesto em {place}; "
            "liberou o grupo no dia seguinte, sem acusação nem explicação.",
            "public",
        ),
        Variant(
            P,
            "Retenção numa barreira policial",
            "{Who} retiveram {subject} por seis horas numa barreira perto de {place} e tomaram o "
            "celular, sem mandado nem explicação.",
            "road",
        ),
    ),
    "physical_attack": (
        Variant(
            P,
            "Agressão na estrada",
            "{Who} cercaram {subject} {time} perto de {place} e partiram para a agressão; "
            "gritaram que era para parar de organizar o povo.",
            "road",
        ),
        Variant(
            P,
            "Agressões durante uma reunião",
            "Um grupo invadiu a reunião de {group} em {place}, atirou pedras e agrediu duas "
            "pessoas; uma precisou de atendimento no posto de saúde.",
            "office",
        ),
    ),
    "raid": (
        Variant(
            P,
            "Invasão da sede",
            "{Who} entraram {time} em {place}, reviraram os arquivos e levaram dois computadores "
            "e HDs. Não mostraram nenhum mandado.",
            "office",
        ),
        Variant(
            P,
            "Furto seletivo no escritório",
            "Arrombaram a porta de {place}: levaram só os notebooks e os pendrives; o dinheiro "
            "do caixa ficou no lugar.",
            "office",
        ),
    ),
    "property_damage": (
        Variant(
            P,
            "Incêndio na roça",
            "Atearam fogo em parte da roça de {group} perto de {place} {time}; vizinhos viram "
            "{who} saindo do local.",
            "road",
            only=("land",),
        ),
        Variant(
            P,
            "Carro da organização danificado",
            "O carro de {group} amanheceu com os pneus furados e os vidros quebrados em frente "
            "de {place}.",
            "office",
        ),
    ),
    "attack_on_family": (
        Variant(
            P,
            "Filho agredido na saída da escola",
            "O filho de {subject} foi agredido na saída da escola por {who}, que mandaram «dar "
            "um recado» para a família.",
            "home",
        ),
        Variant(
            P,
            "Invadiram a casa de um parente",
            "{Who} entraram na casa da mãe de {subject} {time}, quebraram móveis e perguntaram "
            "onde ficam os documentos de {group}.",
            "home",
        ),
    ),
    "economic_pressure": (
        Variant(
            P,
            "Demissão depois da assembleia",
            "A empresa demitiu {subject} uma semana depois da fala na assembleia; o motivo "
            "oficial foi «reestruturação».",
        ),
        Variant(
            P,
            "Boicote à venda da produção",
            "Os compradores da região se recusaram a comprar a produção das famílias de "
            "{group}; um deles disse que eram «ordens de cima».",
            only=("land",),
        ),
    ),
    "administrative_restriction": (
        Variant(
            P,
            "Registro da associação negado",
            "O cartório negou pela terceira vez a atualização do estatuto de {group}, com "
            "exigências que não faz a outras associações.",
        ),
        Variant(
            P,
            "Conta bancária bloqueada",
            "O banco bloqueou a conta de {group} sem explicação; os recursos de um projeto "
            "ficaram presos durante seis semanas.",
        ),
    ),
    "suspicious_event": (
        Variant(
            P,
            "Drone sobre a reunião",
            "Um drone sobrevoou {place} {time} durante a reunião de {group}; ninguém soube "
            "quem pilotava.",
            "office",
        ),
        Variant(
            P,
            "Falsos recenseadores pedem nomes",
            "Duas pessoas que se disseram do censo pediram os nomes de quem faz parte de "
            "{group}; o órgão do censo diz não ter equipe na região.",
            "home",
        ),
        Variant(
            P,
            "Carro desconhecido parado por horas",
            "Um carro de vidros escuros ficou parado várias horas perto de {place}; ninguém "
            "desceu.",
            "home",
        ),
    ),
    "eviction": (
        Variant(
            P,
            "Tentativa de despejo com trator",
            "{Who} chegaram {time} com um trator em {place} e derrubaram duas casas; disseram "
            "ter uma ordem de despejo que nunca mostraram.",
            "road",
        ),
    ),
    "attempted_killing": (
        Variant(
            P,
            "Tiros contra a casa",
            "Dispararam várias vezes contra a casa de {subject} {time}; ninguém ficou ferido. "
            "Ficaram cápsulas de bala na entrada.",
            "home",
        ),
    ),
}

TEXTS = Texts(
    variants=VARIANTS,
    who=(
        "dois homens de moto",
        "dois homens à paisana",
        "três homens encapuzados",
        "uns homens numa caminhonete sem placa",
        "dois desconhecidos",
        "vários homens armados",
    ),
    times=(
        ("de madrugada", 1, 5),
        ("logo cedo", 6, 8),
        ("no meio da manhã", 9, 11),
        ("na hora do almoço", 12, 13),
        ("à tarde", 14, 17),
        ("ao anoitecer", 18, 19),
        ("à noite", 20, 23),
    ),
    consequences={
        P: (
            "{Subject} deixou de sair sem companhia durante duas semanas.",
            "As visitas às comunidades foram suspensas até segunda ordem.",
            "A assembleia marcada foi adiada por um mês.",
            "Medo na família; as crianças faltaram à escola vários dias.",
            "Despesas médicas e uma semana sem poder trabalhar.",
            "Várias pessoas deixaram de ir às reuniões de {group}.",
        ),
        D: (
            "Foi preciso trocar de número de celular.",
            "Medo constante: não atende mais números desconhecidos.",
            "{Subject} fechou as redes sociais por um tempo.",
            "Desconfiança dentro de {group} sobre quem vazou a informação.",
        ),
    },
    reactions={
        P: (
            "A rede de alerta foi acionada e a mesa de proteção foi avisada.",
            "Mudança de trajetos e horários durante duas semanas.",
            "O incidente foi documentado com fotos e depoimentos.",
            "Pessoas de {group} acompanham desde então os deslocamentos.",
            "A pastoral e observadores internacionais foram informados.",
        ),
        D: (
            "As senhas foram trocadas e a verificação em duas etapas foi ativada.",
            "Prints foram guardados e o perfil foi denunciado à plataforma.",
            "Um técnico de confiança revisou o celular.",
        ),
    },
    analyses=(
        "Coincide com a data da audiência: parece buscar desmobilizar {group}.",
        "Padrão já visto: os incidentes aumentam antes de cada assembleia.",
        "Não está claro se tem relação com o trabalho; seguir observando.",
        "O nível de detalhe sugere informação de alguém próximo ao grupo.",
        "Parece mais um aviso do que intenção de agir; ver se se repete.",
    ),
    authority={
        "no_response": ("Boletim de ocorrência registrado na delegacia; nenhuma resposta.",),
        "investigation": ("A polícia civil abriu inquérito e ouviu duas testemunhas.",),
        "dismissed": ("O inquérito foi arquivado em um mês «por falta de provas».",),
        "protection": (
            "Inclusão no programa de proteção: rondas policiais duas vezes por semana.",
        ),
        "hostile": ("Na delegacia se recusaram a registrar a ocorrência e criticaram {group}.",),
    },
    sources=(
        "Vizinha que viu tudo da janela.",
        "Relato de {subject} por telefone no mesmo dia.",
        "Pessoa de {group} que estava no local.",
        "Jornalista local que cobriu o caso.",
    ),
    plans=(
        PlanTemplate(
            "Agressão física nos deslocamentos",
            4,
            4,
            5,
            (
                ("exposure", V, 4, "Deslocamentos frequentes por estradas sem sinal."),
                ("field_work", V, 4, "Visitas às comunidades sem aviso."),
                ("community", C, 4, "A comunidade acompanha os deslocamentos."),
                ("networks", C, 2, ""),
            ),
            (
                "Que as agressões nas estradas não se repitam.",
                "Deslocamentos sem companhia nem comunicação.",
                "Acompanhamento comunitário e rede de alerta.",
            ),
            (
                (
                    "Acompanhamento em todos os deslocamentos por três meses.",
                    "protection",
                    "{Group}",
                ),
                (
                    "Pedir inclusão no programa estadual de proteção.",
                    "deterrence",
                    "Mesa de proteção",
                ),
                ("Avisar pelo rádio ao sair e ao chegar.", "protection", "{Subject}"),
            ),
            ("field_trips",),
            ("physical_attack",),
        ),
        PlanTemplate(
            "Criminalização das lideranças",
            3,
            4,
            4,
            (
                ("legal", V, 4, "Sem advogado próprio."),
                ("media_image", V, 3, "A versão deles quase não chega à imprensa."),
                ("networks", C, 3, "Contato com a rede de advogados populares."),
            ),
            (
                "Os processos e a difamação.",
                "Falta de defesa jurídica e de voz pública.",
                "Redes de advogados e organizações parceiras.",
            ),
            (
                (
                    "Buscar defesa jurídica para as pessoas processadas.",
                    "protection",
                    "Mesa de proteção",
                ),
                (
                    "Carta de organizações parceiras ao Ministério Público.",
                    "deterrence",
                    "Mesa de proteção",
                ),
                ("Nota pública explicando o trabalho de {group}.", "acceptance", "{Group}"),
            ),
            ("public_statements",),
            ("arrest_detention",),
        ),
        PlanTemplate(
            "Roubo de informação sensível",
            3,
            3,
            4,
            (
                ("information_security", V, 4, "Arquivos de casos sem criptografia."),
                ("office_home", V, 3, "Sede sem alarme."),
                ("organisation", C, 3, "A equipe já fez uma oficina de segurança digital."),
            ),
            (
                "Furtos e acessos à informação das pessoas atendidas.",
                "Computadores sem criptografia e sem cópias de segurança.",
                "Uma equipe disposta a mudar hábitos.",
            ),
            (
                ("Criptografar os discos e guardar cópias fora da sede.", "protection", "{Group}"),
                ("Trocar as fechaduras e instalar alarme.", "protection", "{Group}"),
                ("Combinar quem guarda os arquivos de casos.", "protection", "Mesa de proteção"),
            ),
            ("information", "office_home"),
            ("raid", "digital_compromise"),
        ),
    ),
    contact="Mesa de proteção (fictícia): +55 00 0000 0000",
    decider="A assembleia, com a mesa de proteção.",
    statement="Declaração (fictícia) sobre «{title}», {day}.\n\n{narrative}\n",
    screenshot=("Numero desconhecido", "Para de se meter onde nao deve", "ou vai morrer."),
)
